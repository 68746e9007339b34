// lvs-director: the lab's userspace IPVS director (entry point; the work is in emu/director).
#include "emu/director/daemon.h"

int main(int argc, char** argv)
{
    return lvs::emu::director::runDirectorCommand(argc, argv);
}
