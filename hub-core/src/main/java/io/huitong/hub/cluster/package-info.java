/**
 * Cluster membership: the Hazelcast member behind the Vert.x cluster manager, joined over TCP-IP to the members
 * {@code cluster.members} lists ({@code cluster.*} keys; structures Vert.x needs in {@code cluster.xml}).
 */
package io.huitong.hub.cluster;
