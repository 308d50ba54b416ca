// space.h — the two search spaces by name, and where the data folder is.
// Space::NB201 is NAS-Bench-201 (15625 cells, 6 edges x 5 ops); Space::FBNet is HELP's sample of
// 5000 FBNet networks (22 layers x 9 block choices). Their data live in <data>/nb201 and
// <data>/fbnet; see ../shared/data/README.md and docs/data.md.
#pragma once

#include <string>
#include <vector>

namespace nasflat::nas {

enum class Space { NB201, FBNet };

// "nb201" | "fbnet" (exactly these spellings, as in file names); anything else -> one-line error
// that lists both and suggests the closest.
Space parse_space(const std::string& text);
// "nb201" / "fbnet": the folder name under the data folder and the JSON "space" value.
const char* space_name(Space space);
std::vector<Space> all_spaces();

// The data folder: the folder holding manifest.json, nb201/ and fbnet/. Order:
//   1. `flag` (the --data value) when non-empty: must hold manifest.json, else an error naming it;
//   2. $NASFLAT_DATA when set and non-empty: must hold manifest.json, else an error naming it;
//   3. ../shared/data, then ./data (relative to the working directory), first one that holds
//      manifest.json.
// An explicit choice (1 or 2) that is wrong is an error rather than a silent fall-through to 3.
// None found -> one-line error naming all four places and the fix.
std::string resolve_data_dir(const std::string& flag);

}  // namespace nasflat::nas
