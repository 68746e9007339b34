// lvsadm: ipvsadm's command line for LVS Lab's tables (entry point; the work is in emu/cli).
#include "emu/cli/lvsadm.h"

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    return lvs::emu::runLvsadm(args, std::cin, std::cout, std::cerr,
                               lvs::emu::lvsadmEnvironment(argc > 0 ? argv[0] : nullptr));
}
