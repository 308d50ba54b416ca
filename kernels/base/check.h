// check.h — loud, early, helpful errors for the whole project.
// NASFLAT_CHECK(cond, parts...) throws nasflat::Error whose message is the caller's parts
// (shapes, file names, hints) streamed together. With NASFLAT_DEBUG=1 in the environment the
// message also names the failed condition and its place ("[check 'a == b' failed at f.cpp:12]"),
// for bug reports; users see only the parts.
// Usage: NASFLAT_CHECK(a.cols() == b.rows(), "matmul: A ", shape_str(a), " vs B ", shape_str(b),
//                      "; hint: inner dimensions must agree");
#pragma once

#include <cstdlib>
#include <cstring>
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

// " [check 'cond' failed at file:line]" when NASFLAT_DEBUG=1, else "".
inline std::string check_location(const char* cond, const char* file, int line) {
    const char* debug = std::getenv("NASFLAT_DEBUG");
    if (debug == nullptr || std::strcmp(debug, "1") != 0) return "";
    return concat_parts(" [check '", cond, "' failed at ", file, ":", line, "]");
}
}  // namespace detail

// Untrusted text (a line of a user's file, a JSON key, a device name) made safe to print in a
// one-line message: control bytes (C0, DEL and UTF-8-encoded C1) escaped as \xNN, and anything
// past `max_chars` cut with "... (N bytes)". Messages never echo a 10 MB line or an escape code.
inline std::string printable(const std::string& text, size_t max_chars = 200) {
    static const char* const kHex = "0123456789abcdef";
    auto hex = [](unsigned char c) { return std::string("\\x") + kHex[c >> 4] + kHex[c & 15]; };
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (out.size() >= max_chars) {
            out += "... (" + std::to_string(text.size()) + " bytes)";
            break;
        }
        const unsigned char c = static_cast<unsigned char>(text[i]);
        const unsigned char next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
        if (c == 0xc2 && next >= 0x80 && next <= 0x9f) {  // U+0080..U+009F
            out += hex(c) + hex(next);
            ++i;
        } else if (c < 0x20 || c == 0x7f) {
            out += hex(c);
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

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
                __VA_ARGS__, ::nasflat::detail::check_location(#cond, __FILE__, __LINE__)));  \
        }                                                                                   \
    } while (0)
