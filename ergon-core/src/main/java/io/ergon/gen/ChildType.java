package io.ergon.gen;

/** Whether a child is a worker or a supervisor (which changes its default shutdown and how it is counted). */
public enum ChildType {
    WORKER,
    SUPERVISOR
}
