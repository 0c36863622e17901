/* leadboard: with a command, the command line; without one, the board. */
#include "config.h"

#include "cli/cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
