// command.cpp — the `nasflat` verbs in-process: nasflat::run_command (public header) and
// api::verb_arguments (command.h). A verb runs exactly as on the command line (its flags, checks
// and messages), with standard output captured into the returned text; one verb runs at a time
// (std::cout is redirected for its duration).
#include "api/command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <mutex>
#include <sstream>

#include "api/errors.h"
#include "kernels/base/check.h"
#include "nas/base/json_io.h"
#include "nas/cli/common.h"
#include "nas/cli/verbs.h"
#include "nasflat/nasflat.h"

namespace nasflat {
namespace {

// The app of main.cpp: every verb registered.
struct VerbApp {
    CLI::App app{"nasflat — few-shot hardware latency prediction for NAS (NASFLAT)", "nasflat"};
    VerbApp() {
        app.require_subcommand(1);
        for (cli::RegisterVerb register_verb : cli::kVerbs) register_verb(app);
    }
    CLI::App& verb(const std::string& name) {
        std::vector<std::string> verbs;
        for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
            if (sub->get_name() == name) return *app.get_subcommand(name);
            verbs.push_back(sub->get_name());
        }
        const std::string hint = nas::closest_name(name, verbs);
        fail("unknown verb '", printable(name, 40), "'",
             hint.empty() ? "" : " (did you mean '" + hint + "'?)", "; fix: use one of ",
             nas::join_names(verbs));
    }
};

// std::cout (and std::cerr when quiet) into strings while a verb runs.
class Capture {
  public:
    explicit Capture(bool quiet)
        : out_(std::cout.rdbuf(out_text_.rdbuf())),
          err_(quiet ? std::cerr.rdbuf(err_text_.rdbuf()) : nullptr) {}
    ~Capture() {
        std::cout.rdbuf(out_);
        if (err_ != nullptr) std::cerr.rdbuf(err_);
    }
    std::string out() const { return out_text_.str(); }

  private:
    std::ostringstream out_text_, err_text_;
    std::streambuf* out_;
    std::streambuf* err_;
};

std::mutex& verb_lock() {
    static std::mutex lock;
    return lock;
}

}  // namespace

std::string run_command(const std::vector<std::string>& args, bool quiet) {
    return api::translated([&] {
        NASFLAT_CHECK(!args.empty(), "run_command: name a verb (data, tasks, experiment, "
                      "pretrain, sample, transfer, predict, search, lodo)");
        std::lock_guard<std::mutex> hold(verb_lock());
        VerbApp v;
        CLI::App& verb = v.verb(args[0]);
        std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11's order
        Capture capture(quiet);
        try {
            v.app.parse(reversed);
        } catch (const CLI::ParseError& e) {
            if (e.get_exit_code() == 0) return verb.help();  // --help
            fail(e.what());
        } catch (const cli::ExitStatus& status) {
            // `data` / `tasks` found bad data: their report is the message.
            NASFLAT_CHECK(status.code == cli::kExitOk, args[0], " found bad data: ",
                          capture.out());
        }
        return capture.out();
    });
}

namespace api {

std::vector<std::string> verb_arguments(const std::string& verb_name,
                                        const std::vector<Keyword>& options) {
    return translated([&] {
        VerbApp v;
        CLI::App& verb = v.verb(verb_name);
        std::vector<std::string> args = {verb_name};
        for (const Keyword& k : options) {
            std::string flag = "--" + k.name;
            std::replace(flag.begin(), flag.end(), '_', '-');
            const CLI::Option* opt = verb.get_option_no_throw(flag);
            if (opt == nullptr) {
                std::vector<std::string> names;
                for (const CLI::Option* o : verb.get_options()) {
                    std::string name = o->get_single_name();
                    if (name.empty() || name == "help") continue;
                    std::replace(name.begin(), name.end(), '-', '_');
                    names.push_back(name);
                }
                std::string key = k.name;
                std::replace(key.begin(), key.end(), '-', '_');
                const std::string hint = nas::closest_name(key, names);
                fail(verb_name, ": no option '", printable(k.name, 40), "'",
                     hint.empty() ? "" : " (did you mean '" + hint + "'?)", "; the options are ",
                     nas::join_names(names));
            }
            const bool takes_value = opt->get_expected_max() > 0;
            if (k.is_bool && !takes_value) {
                if (!k.values.empty() && k.values[0] == "true") args.push_back(flag);
                continue;
            }
            NASFLAT_CHECK(takes_value, verb_name, ": ", k.name,
                          " is a switch; fix: pass True or False");
            args.push_back(flag);
            if (opt->get_items_expected_max() > 1) {
                args.insert(args.end(), k.values.begin(), k.values.end());
            } else {
                std::string joined;
                for (const std::string& value : k.values) joined += (joined.empty() ? "" : ",") + value;
                args.push_back(joined);
            }
        }
        return args;
    });
}

}  // namespace api
}  // namespace nasflat
