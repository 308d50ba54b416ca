// nas.h — the whole nas/ data layer in one include: search spaces and graphs, data loading,
// the task suite, rank metrics, encodings and user measurement files (namespace nasflat::nas).
#pragma once

#include "nas/accuracy.h"
#include "nas/arch_graph.h"
#include "nas/cost_model.h"
#include "nas/data_check.h"
#include "nas/device_data.h"
#include "nas/encoding.h"
#include "nas/json_io.h"
#include "nas/manifest.h"
#include "nas/measurements.h"
#include "nas/metrics.h"
#include "nas/search_space.h"
#include "nas/space.h"
#include "nas/tasks.h"
#include "nas/zcp.h"
