package it.io.guidepost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The official OpenAI Java SDK, pointed at Guidepost, gets schema-valid JSON and streams. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OpenAiSdkIT {
  private static final String SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"maxLength\":20},"
          + "\"age\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":130},"
          + "\"sex\":{\"enum\":[\"male\",\"female\",\"other\"]}},"
          + "\"required\":[\"name\",\"age\",\"sex\"],\"additionalProperties\":false}";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  private OpenAIClient client;

  @BeforeEach
  void connect() {
    client =
        OpenAIOkHttpClient.builder()
            .baseUrl(base.toString().replaceAll("/$", "") + "/v1")
            .apiKey("not-needed")
            .maxRetries(0)
            .build();
  }

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void listsTheModel() {
    List<Model> models = client.models().list().data();
    assertEquals("guidepost-demo", models.getFirst().id());
  }

  @Test
  void responseFormatJsonSchemaGivesValidJson() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    Map<String, Object> schemaMap =
        mapper.readValue(SCHEMA, new com.fasterxml.jackson.core.type.TypeReference<>() {});
    ResponseFormatJsonSchema.JsonSchema.Schema.Builder schema =
        ResponseFormatJsonSchema.JsonSchema.Schema.builder();
    schemaMap.forEach((k, v) -> schema.putAdditionalProperty(k, JsonValue.from(v)));
    ChatCompletionCreateParams params =
        ChatCompletionCreateParams.builder()
            .model("guidepost-demo")
            .addUserMessage("Invent a patient.")
            .maxCompletionTokens(96)
            .temperature(0.9)
            .seed(11)
            .responseFormat(
                ResponseFormatJsonSchema.builder()
                    .jsonSchema(
                        ResponseFormatJsonSchema.JsonSchema.builder()
                            .name("patient")
                            .strict(true)
                            .schema(schema.build())
                            .build())
                    .build())
            .build();
    ChatCompletion completion = client.chat().completions().create(params);
    ChatCompletion.Choice choice = completion.choices().getFirst();
    assertEquals(ChatCompletion.Choice.FinishReason.STOP, choice.finishReason());
    String content = choice.message().content().orElseThrow();
    JsonNode doc = mapper.readTree(content);
    var validator =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(SCHEMA);
    assertTrue(validator.validate(doc).isEmpty(), content + " " + validator.validate(doc));
    assertTrue(completion.usage().orElseThrow().completionTokens() > 0);
  }

  @Test
  void streams() {
    ChatCompletionCreateParams params =
        ChatCompletionCreateParams.builder()
            .model("guidepost-demo")
            .addUserMessage("Say a word.")
            .maxCompletionTokens(12)
            .build();
    StringBuilder text = new StringBuilder();
    String finish = null;
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params)) {
      for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
        for (ChatCompletionChunk.Choice c : chunk.choices()) {
          c.delta().content().ifPresent(text::append);
          if (c.finishReason().isPresent()) {
            finish = c.finishReason().get().asString();
          }
        }
      }
    }
    assertTrue(List.of("stop", "length").contains(finish), "finish " + finish);
    ChatCompletion whole = client.chat().completions().create(params.toBuilder().build());
    assertEquals(whole.choices().getFirst().message().content().orElse(""), text.toString());
  }
}
