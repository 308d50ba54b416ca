// common.cpp — see common.h.
#include "nas/cli/common.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "kernels/base/check.h"
#include "kernels/base/file_io.h"
#include "nas/base/json_io.h"

namespace nasflat::cli {

CLI::Option* add_data_option(CLI::App& verb, std::string& data_flag) {
    return verb
        .add_option("--data", data_flag,
                    "data folder holding manifest.json (default: $NASFLAT_DATA, then "
                    "../shared/data, then ./data)")
        ->type_name("DIR");
}

CLI::Option* add_seed_option(CLI::App& verb, uint64_t& seed) {
    return verb.add_option("--seed", seed, "seed of all randomness (same seed, same result)")
        ->type_name("N")
        ->check(unsigned_number())
        ->capture_default_str();
}

CLI::Validator finite_in(double lo, double hi, bool open_low) {
    std::ostringstream range;
    range << (open_low ? "(" : "[") << lo << ", " << hi << "]";
    return CLI::Validator(
        [lo, hi, open_low, range = range.str()](std::string& text) -> std::string {
            char* end = nullptr;
            const double v = std::strtod(text.c_str(), &end);
            const bool parsed = end != text.c_str() && *end == '\0';
            if (!parsed || !std::isfinite(v) || v > hi || v < lo || (open_low && v == lo)) {
                return "'" + printable(text, 40) + "' is not a finite number in " + range;
            }
            return "";
        },
        "NUMBER in " + range.str());
}

CLI::Validator unsigned_number() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            const bool digits = !text.empty() && text.size() <= 20 &&
                                std::all_of(text.begin(), text.end(), [](char c) {
                                    return c >= '0' && c <= '9';
                                });
            return digits ? "" : "'" + printable(text, 40) + "' is not a whole number >= 0";
        },
        "N >= 0");
}

CLI::Option* add_space_option(CLI::App& verb, std::string& space, bool optional) {
    CLI::Option* opt =
        verb.add_option("--space", space,
                        optional ? "only this search space (default: both)" : "search space")
            ->check(CLI::IsMember({"nb201", "fbnet"}));
    if (!optional) opt->required();
    return opt;
}

nas::Task resolve_task(const std::string& flag, nas::Space space) {
    const bool digit = flag.size() == 1 && std::isdigit(static_cast<unsigned char>(flag[0]));
    nas::Task task = nas::parse_task(
        digit ? std::string(space == nas::Space::NB201 ? "N" : "F") + flag : flag);
    NASFLAT_CHECK(task.space == space, "--task ", flag, " is a ", nas::space_name(task.space),
                  " task but --space is ", nas::space_name(space));
    return task;
}

std::string format_of(const std::string& path, const std::vector<std::string>& allowed) {
    const size_t dot = path.rfind('.');
    std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
    std::string fmt = ext == "json" && std::find(allowed.begin(), allowed.end(), "json") ==
                                           allowed.end()
                          ? "jsonl"
                          : ext;
    if (std::find(allowed.begin(), allowed.end(), fmt) == allowed.end()) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "." : ", .") + a;
        fail("cannot tell the format of '", path, "' from its extension; fix: name it ", list);
    }
    return fmt;
}

void print_error(const std::string& message) {
    std::string line = message;
    std::replace(line.begin(), line.end(), '\n', ' ');
    // Parts of the message come from users' files: escape control bytes, bound the length.
    std::cerr << "nasflat: error: " << printable(line, 1000) << std::endl;
}

namespace {

// CLI11 reports an unknown verb as a missing subcommand; say what was typed and what exists.
void check_verb(CLI::App& app, int argc, char** argv) {
    if (argc < 2 || argv[1][0] == '-') return;
    std::vector<std::string> verbs;
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
        if (sub->get_name() == argv[1]) return;
        verbs.push_back(sub->get_name());
    }
    std::string hint = nas::closest_name(argv[1], verbs);
    fail("unknown verb '", argv[1], "'", hint.empty() ? "" : " (did you mean '" + hint + "'?)",
         "; fix: use one of ", nas::join_names(verbs), " (nasflat --help)");
}

}  // namespace

int run(CLI::App& app, int argc, char** argv) {
    try {
        check_verb(app, argc, argv);
        app.parse(argc, argv);
        check_stdout();  // a verb's last rows may still sit in the stdio buffer
        return kExitOk;
    } catch (const CLI::ParseError& e) {
        // --help / --version arrive as ParseErrors with exit code 0: let CLI11 print them.
        if (e.get_exit_code() == 0) return app.exit(e);
        print_error(std::string(e.what()) + "; run 'nasflat --help' for usage");
        return kExitUsage;
    } catch (const ExitStatus& status) {
        try {
            check_stdout();  // the report it printed must have arrived
        } catch (const Error& e) {
            print_error(e.what());
            return kExitUsage;
        }
        return status.code;
    } catch (const Error& e) {
        print_error(e.what());
        return kExitUsage;
    } catch (const std::bad_alloc&) {
        print_error("out of memory; fix: a smaller --batch, fewer architectures, or a machine "
                    "with more memory");
        return kExitUsage;
    } catch (const std::exception& e) {
        print_error(std::string("internal error (please report): ") + e.what());
        return kExitInternal;
    }
}

}  // namespace nasflat::cli
