#include "commandline.h"
#include "trainbench/platform/processsetup.h"

int main(int argc, char** argv)
{
    trainbench::ProcessSetup::initialize(argv);
    return trainbench::cli::CommandLine(argc, argv).run();
}
