package dev.maas.operator.observe;

/**
 * The prepare Job of the desired revision, as the builders name it: the Job, and the container
 * whose termination message holds compress's report.
 */
public record PrepareJobRef(String name, String container) {}
