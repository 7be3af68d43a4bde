package io.guidepost.service;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * What the service is and what state its model is in, as reported by {@code GET /api/v1/info} and
 * the readiness check.
 *
 * <p>A startup singleton: created when the application starts, immutable afterwards, so reads need
 * no container locking. The version comes from the build (a filtered resource).
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ServiceInfo {
  private static final Logger LOG = Logger.getLogger(ServiceInfo.class.getName());

  /** Model states reported to clients. */
  public enum ModelStatus {
    /** No model is loaded. */
    NONE,
    /** A model is being loaded. */
    LOADING,
    /** A model is loaded and serving. */
    READY,
    /** Loading failed. */
    FAILED;

    /** The lower-case name used in JSON. */
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  @EJB ModelLifecycle model;

  private String version;
  private Instant startedAt;

  @PostConstruct
  void start() {
    version = readVersion();
    startedAt = Instant.now();
    LOG.info(() -> "Guidepost " + version + " started");
  }

  /** The service version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public String version() {
    return version;
  }

  /** When the application started. */
  public Instant startedAt() {
    return startedAt;
  }

  /** The model status ({@link ModelStatus#NONE} when no model bean is present). */
  public ModelStatus modelStatus() {
    return model == null ? ModelStatus.NONE : model.status();
  }

  /** The model id ({@code guidepost-demo} for the built-in demo model), or {@code none}. */
  public String modelId() {
    return model == null ? "none" : model.modelId();
  }

  /** True when the built-in demo model (random weights) is serving. */
  public boolean demoModel() {
    return model != null && model.isDemo();
  }

  /** Reads the build version from the filtered {@code guidepost-version.properties} resource. */
  static String readVersion() {
    Properties p = new Properties();
    try (InputStream in = ServiceInfo.class.getResourceAsStream("guidepost-version.properties")) {
      if (in == null) {
        throw new IllegalStateException("guidepost-version.properties missing from the classpath");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String v = p.getProperty("version");
    if (v == null || v.isBlank() || v.contains("${")) {
      throw new IllegalStateException("guidepost-version.properties has no filtered version: " + v);
    }
    return v;
  }
}
