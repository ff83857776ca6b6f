#include "commandline.h"
#include "trainbench/platform/processsetup.h"

#include <cstring>

int main(int argc, char** argv)
{
    using trainbench::ProcessSetup;
    // Only the commands that train are worth OpenBLAS's set-up restart.
    const bool trains =
        argc > 1 && (std::strcmp(argv[1], "train") == 0 || std::strcmp(argv[1], "sweep") == 0 ||
                     std::strcmp(argv[1], "bench") == 0);
    ProcessSetup::initialize(argv,
                             trains ? ProcessSetup::Work::Training : ProcessSetup::Work::Brief);
    return trainbench::cli::CommandLine(argc, argv).run();
}
