#include "commandline.h"
#include "trainbench/platform/processsetup.h"

#include <cstdio>
#include <cstdlib>
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
    const int code = trainbench::cli::CommandLine(argc, argv).run();
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#define TRAINBENCH_CHECKS_AT_EXIT
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(TRAINBENCH_CHECKS_AT_EXIT)
    return code; // the leak check runs at exit
#else
    // Everything of ours is written and closed by now. What a normal exit adds is libtorch's
    // static destructors, which unregister its thousands of operators one by one: a noticeable
    // part of a short run, for a process that is ending anyway.
    std::fflush(nullptr);
    std::_Exit(code);
#endif
}
