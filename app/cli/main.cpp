#include "commandline.h"
#include "trainbench/blasenvironment.h"

int main(int argc, char** argv)
{
    trainbench::BlasEnvironment::prepare(argv);
    return trainbench::cli::CommandLine(argc, argv).run();
}
