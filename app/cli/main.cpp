#include "commandline.h"

int main(int argc, char** argv)
{
    return trainbench::cli::CommandLine(argc, argv).run();
}
