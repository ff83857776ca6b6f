#pragma once

#include <stdexcept>
#include <string>

namespace trainbench {

/// The one exception core throws for bad input or a failed run; the message names what is wrong.
class Error : public std::runtime_error
{
public:
    /// Creates an error carrying a user-facing message.
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

} // namespace trainbench
