// common.cpp — see common.h.
#include "nas/cli/common.h"

#include <algorithm>
#include <iostream>

#include "kernels/check.h"

namespace nasflat::cli {

CLI::Option* add_data_option(CLI::App& verb, std::string& data_flag) {
    return verb.add_option("--data", data_flag,
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
    CLI::Option* opt = verb.add_option("--space", space,
                                       optional ? "only this search space (default: both)"
                                                : "search space")
                           ->type_name("nb201|fbnet")
                           ->check(CLI::IsMember({"nb201", "fbnet"}));
    if (!optional) opt->required();
    return opt;
}

void print_error(const std::string& message) {
    std::string line = message;
    std::replace(line.begin(), line.end(), '\n', ' ');
    std::cerr << "nasflat: error: " << line << std::endl;
}

int run(CLI::App& app, int argc, char** argv) {
    try {
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
