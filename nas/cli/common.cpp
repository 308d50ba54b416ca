// common.cpp — see common.h.
#include "nas/cli/common.h"

#include <algorithm>
#include <iostream>

#include "kernels/check.h"
#include "nas/json_io.h"

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
        ->capture_default_str();
}

CLI::Option* add_space_option(CLI::App& verb, std::string& space, bool optional) {
    CLI::Option* opt =
        verb.add_option("--space", space,
                        optional ? "only this search space (default: both)" : "search space")
            ->check(CLI::IsMember({"nb201", "fbnet"}));
    if (!optional) opt->required();
    return opt;
}

void print_error(const std::string& message) {
    std::string line = message;
    std::replace(line.begin(), line.end(), '\n', ' ');
    std::cerr << "nasflat: error: " << line << std::endl;
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
        return kExitOk;
    } catch (const CLI::ParseError& e) {
        // --help / --version arrive as ParseErrors with exit code 0: let CLI11 print them.
        if (e.get_exit_code() == 0) return app.exit(e);
        print_error(std::string(e.what()) + "; run 'nasflat --help' for usage");
        return kExitUsage;
    } catch (const ExitStatus& status) {
        return status.code;
    } catch (const Error& e) {
        print_error(e.what());
        return kExitUsage;
    } catch (const std::exception& e) {
        print_error(std::string("internal error (please report): ") + e.what());
        return kExitInternal;
    }
}

}  // namespace nasflat::cli
