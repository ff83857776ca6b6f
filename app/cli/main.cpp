#include "commandline.h"
#include "trainbench/platform/processsetup.h"

#include <cstring>

namespace {

/// Only the commands that train are worth OpenBLAS's set-up restart.
bool trains(int argc, char** argv)
{
    return argc > 1 && (std::strcmp(argv[1], "train") == 0 || std::strcmp(argv[1], "sweep") == 0 ||
                        std::strcmp(argv[1], "bench") == 0);
}

} // namespace

TRAINBENCH_RESTART_EARLY_IF(trains(argc, argv))

int main(int argc, char** argv)
{
    using trainbench::ProcessSetup;
    ProcessSetup::initialize(argv, trains(argc, argv) ? ProcessSetup::Work::Training
                                                      : ProcessSetup::Work::Brief);
    return trainbench::cli::CommandLine(argc, argv).run();
}
