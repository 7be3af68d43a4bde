package io.guidepost.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServiceInfoTest {

  @Test
  void versionIsTheFilteredBuildVersion() {
    String v = ServiceInfo.readVersion();
    assertTrue(v.matches("\\d+\\.\\d+\\.\\d+(-[A-Za-z0-9.]+)?"), "not a version: " + v);
  }

  @Test
  void startRecordsVersionAndTime() {
    ServiceInfo info = new ServiceInfo();
    info.start();
    assertEquals(ServiceInfo.readVersion(), info.version());
    assertNotNull(info.startedAt());
    assertEquals("none", info.modelStatus().wireName());
  }
}
