/* Host console input: focus switching and the monitor console. */
#ifndef CORE_MCON_H
#define CORE_MCON_H
void console_start(void);
void console_input(char c);
struct guest;
void console_pump(struct guest *g);
#endif
