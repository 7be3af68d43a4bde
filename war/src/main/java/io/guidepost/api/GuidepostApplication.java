package io.guidepost.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;

/** The JAX-RS application: resources live under {@code /api/v1} (and, later, {@code /v1}). */
@ApplicationPath("/")
@OpenAPIDefinition(
    info =
        @Info(
            title = "Guidepost",
            version = "v1",
            description =
                "Constrained generation for Phi-3 on ONNX Runtime: output guaranteed to match a"
                    + " regular expression, a JSON Schema, a choice list, a verbatim quote or a"
                    + " template.",
            license = @License(name = "Apache-2.0")))
public class GuidepostApplication extends Application {}
