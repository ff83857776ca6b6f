#include "trainbench/train/optimizerconfig.h"
#include "trainbench/common/text.h"

#include <algorithm>
#include <cctype>

namespace trainbench {

std::string toString(OptimizerType type)
{
    switch (type) {
    case OptimizerType::Adam:
        return "adam";
    case OptimizerType::Sgd:
        return "sgd";
    case OptimizerType::RmsProp:
        return "rmsprop";
    }
    return "?";
}

std::optional<OptimizerType> optimizerTypeFromString(const std::string& name)
{
    const std::string key = Text::lower(name);
    for (auto type : {OptimizerType::Adam, OptimizerType::Sgd, OptimizerType::RmsProp})
        if (toString(type) == key)
            return type;
    return std::nullopt;
}

} // namespace trainbench
