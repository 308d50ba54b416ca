// check.h — loud, early, helpful errors for the whole project.
// NASFLAT_CHECK(cond, parts...) throws nasflat::Error whose message names the place, the failed
// condition and the caller's parts (shapes, file names, hints), streamed together.
// Usage: NASFLAT_CHECK(a.cols() == b.rows(), "matmul: A ", shape_str(a), " vs B ", shape_str(b),
//                      "; hint: inner dimensions must agree");
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace nasflat {

// All project errors. The message is one line, meant for the user.
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& msg) : std::runtime_error(msg) {}
};

namespace detail {
template <typename... Parts>
std::string concat_parts(const Parts&... parts) {
    std::ostringstream os;
    (os << ... << parts);
    return os.str();
}
}  // namespace detail

// Throws nasflat::Error with the streamed parts; no location (for user-facing input errors).
template <typename... Parts>
[[noreturn]] void fail(const Parts&... parts) {
    throw Error(detail::concat_parts(parts...));
}

}  // namespace nasflat

#define NASFLAT_CHECK(cond, ...)                                                            \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            throw ::nasflat::Error(::nasflat::detail::concat_parts(                         \
                __VA_ARGS__, " [check '", #cond, "' failed at ", __FILE__, ":", __LINE__, \
                "]"));                                                                      \
        }                                                                                   \
    } while (0)
