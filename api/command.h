// command.h — the verbs of the `nasflat` command, run in-process (nasflat::run_command in the
// public header), and what the Python module needs on top: a verb's arguments from keyword
// options, checked against the verb's own flags.
#pragma once

#include <string>
#include <vector>

namespace nasflat::api {

// One keyword option: `name` as Python spells it (source_samples), its values as text, and
// whether it was a bool (True: the flag is given; False: left out).
struct Keyword {
    std::string name;
    std::vector<std::string> values;
    bool is_bool = false;
};

// {"--source-samples", "30", ...} for `verb`: each name becomes --name with '-' for '_'; an
// option that takes several values gets them as separate arguments, any other a comma-joined
// list. A name the verb does not have is an error listing the ones it has.
std::vector<std::string> verb_arguments(const std::string& verb, const std::vector<Keyword>& options);

}  // namespace nasflat::api
