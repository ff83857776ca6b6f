#include "trainbench/common/text.h"

#include <algorithm>
#include <cctype>

namespace trainbench {

std::string Text::lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return text;
}

bool Text::endsWithNoCase(const std::string& text, const std::string& suffix)
{
    return text.size() >= suffix.size() &&
           lower(text.substr(text.size() - suffix.size())) == lower(suffix);
}

} // namespace trainbench
