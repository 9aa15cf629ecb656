/*
 * The virtio devices of a guest, as the monitor wires them (first
 * increment of issue 18: one virtio-console per guest that asks for it with
 * `virtio=console` in its VM file, at the "virtio" entry of board.c's table
 * of guest devices).  The device models are drivers/emul/virtio_*.c; this
 * file gives them the guest's RAM and console line and their interrupt.
 */
#ifndef CORE_VIRTIO_DEV_H
#define CORE_VIRTIO_DEV_H

#include <stdbool.h>

struct guest;

/* Register the guest's virtio devices (VM-file flags); -1 on failure. */
int virtio_dev_attach(struct guest *g);
/* Reset and interrupt lines: they are registry instances (core/vdev.h). */
/* Console input of a guest with a virtio console goes there, not to its
 * PL011: move what g->inq holds into posted receive buffers.  False if the
 * guest has no virtio console. */
bool virtio_dev_console_pump(struct guest *g);
#endif
