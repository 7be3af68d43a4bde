package io.guidepost.decoding;

import java.io.ByteArrayOutputStream;

/**
 * Builds an ONNX {@code ModelProto} (one graph, no subgraphs) with its large initializers stored in
 * a separate external-data file, the layout of the official Phi-3 ONNX releases ({@code model.onnx}
 * + {@code model.onnx.data}).
 *
 * <p>Field numbers follow the ONNX IR specification ({@code ModelProto}, {@code GraphProto}, {@code
 * NodeProto}, {@code AttributeProto}, {@code TensorProto}, {@code ValueInfoProto}, {@code
 * TypeProto}); the encoding is done by {@link OnnxProtoWriter}. Initializers of at least {@link
 * #EXTERNAL_THRESHOLD_BYTES} bytes go to the external file at 64-byte aligned offsets, smaller ones
 * stay inline.
 *
 * <p>Not thread-safe; one builder writes one model. Cost: linear in the size of the weights.
 */
final class OnnxGraphBuilder {

  static final int FLOAT = 1;
  static final int UINT8 = 2;
  static final int INT32 = 6;
  static final int INT64 = 7;
  static final int FLOAT16 = 10;

  static final int EXTERNAL_THRESHOLD_BYTES = 1024;
  private static final int EXTERNAL_ALIGNMENT = 64;

  // ModelProto
  private static final int MODEL_IR_VERSION = 1;
  private static final int MODEL_PRODUCER_NAME = 2;
  private static final int MODEL_PRODUCER_VERSION = 3;
  private static final int MODEL_GRAPH = 7;
  private static final int MODEL_OPSET_IMPORT = 8;
  // OperatorSetIdProto
  private static final int OPSET_DOMAIN = 1;
  private static final int OPSET_VERSION = 2;
  // GraphProto
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_NAME = 2;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int GRAPH_INPUT = 11;
  private static final int GRAPH_OUTPUT = 12;
  // NodeProto
  private static final int NODE_INPUT = 1;
  private static final int NODE_OUTPUT = 2;
  private static final int NODE_NAME = 3;
  private static final int NODE_OP_TYPE = 4;
  private static final int NODE_ATTRIBUTE = 5;
  private static final int NODE_DOMAIN = 7;
  // AttributeProto and its AttributeType enum
  private static final int ATTR_NAME = 1;
  private static final int ATTR_F = 2;
  private static final int ATTR_I = 3;
  private static final int ATTR_INTS = 8;
  private static final int ATTR_TYPE = 20;
  private static final int ATTR_TYPE_FLOAT = 1;
  private static final int ATTR_TYPE_INT = 2;
  private static final int ATTR_TYPE_INTS = 7;
  // TensorProto
  private static final int TENSOR_DIMS = 1;
  private static final int TENSOR_DATA_TYPE = 2;
  private static final int TENSOR_NAME = 8;
  private static final int TENSOR_RAW_DATA = 9;
  private static final int TENSOR_EXTERNAL_DATA = 13;
  private static final int TENSOR_DATA_LOCATION = 14;
  private static final int DATA_LOCATION_EXTERNAL = 1;
  // StringStringEntryProto
  private static final int ENTRY_KEY = 1;
  private static final int ENTRY_VALUE = 2;
  // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, Dimension
  private static final int VALUE_INFO_NAME = 1;
  private static final int VALUE_INFO_TYPE = 2;
  private static final int TYPE_TENSOR = 1;
  private static final int TENSOR_TYPE_ELEM_TYPE = 1;
  private static final int TENSOR_TYPE_SHAPE = 2;
  private static final int SHAPE_DIM = 1;
  private static final int DIM_VALUE = 1;
  private static final int DIM_PARAM = 2;

  private final OnnxProtoWriter graph = new OnnxProtoWriter();
  private final ByteArrayOutputStream external = new ByteArrayOutputStream();
  private final String externalFileName;
  private int nodeCount;

  OnnxGraphBuilder(String graphName, String externalFileName) {
    this.externalFileName = externalFileName;
    graph.string(GRAPH_NAME, graphName);
  }

  /** Declares a graph input; each dim is a {@code Long}/{@code Integer} size or a symbolic name. */
  void input(String name, int elemType, Object... dims) {
    graph.message(GRAPH_INPUT, valueInfo(name, elemType, dims));
  }

  /** Declares a graph output, dims as for {@link #input}. */
  void output(String name, int elemType, Object... dims) {
    graph.message(GRAPH_OUTPUT, valueInfo(name, elemType, dims));
  }

  /** Adds a node; an empty string in {@code inputs}/{@code outputs} is an omitted optional slot. */
  void node(
      String opType,
      String domain,
      String[] inputs,
      String[] outputs,
      OnnxProtoWriter... attributes) {
    OnnxProtoWriter node = new OnnxProtoWriter();
    for (String in : inputs) {
      node.string(NODE_INPUT, in);
    }
    for (String out : outputs) {
      node.string(NODE_OUTPUT, out);
    }
    node.string(NODE_NAME, opType + "_" + nodeCount++);
    node.string(NODE_OP_TYPE, opType);
    for (OnnxProtoWriter a : attributes) {
      node.message(NODE_ATTRIBUTE, a);
    }
    if (!domain.isEmpty()) {
      node.string(NODE_DOMAIN, domain);
    }
    graph.message(GRAPH_NODE, node);
  }

  /** Adds an initializer from little-endian raw bytes; returns its name. */
  String initializer(String name, int elemType, long[] dims, byte[] raw) {
    OnnxProtoWriter t = new OnnxProtoWriter();
    t.packedVarints(TENSOR_DIMS, dims);
    t.varint(TENSOR_DATA_TYPE, elemType);
    t.string(TENSOR_NAME, name);
    if (raw.length >= EXTERNAL_THRESHOLD_BYTES) {
      while (external.size() % EXTERNAL_ALIGNMENT != 0) {
        external.write(0);
      }
      long offset = external.size();
      external.writeBytes(raw);
      t.message(TENSOR_EXTERNAL_DATA, entry("location", externalFileName));
      t.message(TENSOR_EXTERNAL_DATA, entry("offset", Long.toString(offset)));
      t.message(TENSOR_EXTERNAL_DATA, entry("length", Long.toString(raw.length)));
      t.varint(TENSOR_DATA_LOCATION, DATA_LOCATION_EXTERNAL);
    } else {
      t.bytes(TENSOR_RAW_DATA, raw);
    }
    graph.message(GRAPH_INITIALIZER, t);
    return name;
  }

  static OnnxProtoWriter attrInt(String name, long value) {
    return new OnnxProtoWriter()
        .string(ATTR_NAME, name)
        .varint(ATTR_I, value)
        .varint(ATTR_TYPE, ATTR_TYPE_INT);
  }

  static OnnxProtoWriter attrFloat(String name, float value) {
    return new OnnxProtoWriter()
        .string(ATTR_NAME, name)
        .float32(ATTR_F, value)
        .varint(ATTR_TYPE, ATTR_TYPE_FLOAT);
  }

  static OnnxProtoWriter attrInts(String name, long... values) {
    OnnxProtoWriter a = new OnnxProtoWriter().string(ATTR_NAME, name);
    for (long v : values) {
      a.varint(ATTR_INTS, v);
    }
    return a.varint(ATTR_TYPE, ATTR_TYPE_INTS);
  }

  /**
   * The serialized {@code ModelProto}.
   *
   * @param opsets pairs of domain and version, e.g. {@code "", 21, "com.microsoft", 1}
   */
  byte[] modelBytes(long irVersion, String producer, Object... opsets) {
    OnnxProtoWriter model = new OnnxProtoWriter();
    model.varint(MODEL_IR_VERSION, irVersion);
    model.string(MODEL_PRODUCER_NAME, producer);
    model.string(MODEL_PRODUCER_VERSION, "1");
    model.message(MODEL_GRAPH, graph);
    for (int i = 0; i < opsets.length; i += 2) {
      OnnxProtoWriter opset = new OnnxProtoWriter();
      String domain = (String) opsets[i];
      if (!domain.isEmpty()) {
        opset.string(OPSET_DOMAIN, domain);
      }
      opset.varint(OPSET_VERSION, ((Number) opsets[i + 1]).longValue());
      model.message(MODEL_OPSET_IMPORT, opset);
    }
    return model.toByteArray();
  }

  /** The external-data file's content. */
  byte[] externalData() {
    return external.toByteArray();
  }

  private static OnnxProtoWriter entry(String key, String value) {
    return new OnnxProtoWriter().string(ENTRY_KEY, key).string(ENTRY_VALUE, value);
  }

  private static OnnxProtoWriter valueInfo(String name, int elemType, Object... dims) {
    OnnxProtoWriter shape = new OnnxProtoWriter();
    for (Object d : dims) {
      OnnxProtoWriter dim = new OnnxProtoWriter();
      if (d instanceof Number n) {
        dim.varint(DIM_VALUE, n.longValue());
      } else {
        dim.string(DIM_PARAM, (String) d);
      }
      shape.message(SHAPE_DIM, dim);
    }
    OnnxProtoWriter tensorType =
        new OnnxProtoWriter()
            .varint(TENSOR_TYPE_ELEM_TYPE, elemType)
            .message(TENSOR_TYPE_SHAPE, shape);
    OnnxProtoWriter type = new OnnxProtoWriter().message(TYPE_TENSOR, tensorType);
    return new OnnxProtoWriter().string(VALUE_INFO_NAME, name).message(VALUE_INFO_TYPE, type);
  }
}
