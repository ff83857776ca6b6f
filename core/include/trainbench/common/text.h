#pragma once

#include <string>

namespace trainbench {

/// Small text helpers shared by parsers of names and options (ASCII rules: file names,
/// enum names, extensions).
class Text
{
public:
    /// `text` with ASCII letters in lower case ("ReLU" -> "relu").
    static std::string lower(std::string text);
    /// True when `text` ends with `suffix`, ignoring ASCII case (".JPG" matches ".jpg").
    static bool endsWithNoCase(const std::string& text, const std::string& suffix);
};

} // namespace trainbench
