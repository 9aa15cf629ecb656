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
#include <stdint.h>

struct guest;

/* Register the guest's virtio devices (VM-file flags); -1 on failure. */
int virtio_dev_attach(struct guest *g);
/* Reset and interrupt lines: they are registry instances (core/vdev.h). */
/* Console input of a guest with a virtio console goes there, not to its
 * PL011: move what g->inq holds into posted receive buffers.  False if the
 * guest has no virtio console. */
bool virtio_dev_console_pump(struct guest *g);
/* Does [lo, lo + size) reach the machine's virtio-mmio transports where the
 * monitor drives the host disk, in a VM that uses one (disk=host)?  Such a
 * range is never assigned to a guest (core/guest_loader.c; tools/mkguests.py
 * refuses it first). */
bool virtio_dev_hostdisk_overlaps(uint32_t lo, uint32_t size);

/* The guest's virtio-balloon (virtio=balloon): set the target, in MiB (the
 * guest's driver inflates or deflates towards it); -1 if the guest has no
 * balloon or mib is above its RAM. */
int virtio_dev_balloon_target(struct guest *g, uint32_t mib);
struct balloon_info {
    uint32_t target_pages, actual_pages;    /* 4 KiB pages: ours, the driver's */
    uint32_t inflated_pages;                /* pages the device holds */
    unsigned long whole_mibs;               /* times a whole MiB was in */
};
bool virtio_dev_balloon_info(const struct guest *g, struct balloon_info *i);
#endif
