// nas.h — the whole nas/ data layer in one include: search spaces and graphs, data loading,
// the task suite, rank metrics, encodings and user measurement files (namespace nasflat::nas).
#pragma once

#include "nas/base/json_io.h"
#include "nas/base/metrics.h"
#include "nas/data/accuracy.h"
#include "nas/data/data_check.h"
#include "nas/data/device_data.h"
#include "nas/data/encoding.h"
#include "nas/data/manifest.h"
#include "nas/data/measurements.h"
#include "nas/data/tasks.h"
#include "nas/data/zcp.h"
#include "nas/space/arch_graph.h"
#include "nas/space/cost_model.h"
#include "nas/space/search_space.h"
#include "nas/space/space.h"
