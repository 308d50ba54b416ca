// errors.h — the facade's one error rule: what the library throws for bad input
// (nasflat::Error, the message the CLI prints after "nasflat: error: ") leaves the public API as
// std::invalid_argument with the same message, so a C++ consumer needs no internal header and
// the Python module raises ValueError with it.
#pragma once

#include <stdexcept>
#include <utility>

#include "kernels/base/check.h"

namespace nasflat::api {

template <typename F>
auto translated(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const Error& e) {
        throw std::invalid_argument(e.what());
    }
}

}  // namespace nasflat::api
