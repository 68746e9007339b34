// lvsctl: the headless twin of the designer (entry point; the commands live in emu/cli).
#include "emu/cli/lvsctl.h"

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    return lvs::emu::runLvsctl(args, std::cout, std::cerr);
}
