// Result<T>: the project's type for operations that can fail at run time (std::expected, C++23).
#pragma once

#include <expected>
#include <string>

namespace lvs::core {

// An error a user can act on: the message says what went wrong and, where it helps, what to do.
struct Error {
    std::string message;
};

template <typename T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(std::string message)
{
    return std::unexpected<Error>(Error{std::move(message)});
}

} // namespace lvs::core
