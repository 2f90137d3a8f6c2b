// Builds small ONNX models in memory (onnx-proto) so tests can exercise the real session layer and
// real pre/post-processing with a graph whose output is a known function of its input.
// Test-only: onnx-proto is a dev dependency.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export type Dim = number | string;

export interface TensorSpec {
  name: string;
  shape: Dim[];
}

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, number | number[] | string>;
}

export interface InitSpec {
  name: string;
  dims: number[];
  values: number[];
}

function valueInfo(t: TensorSpec) {
  return onnx.ValueInfoProto.create({
    name: t.name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: onnx.TensorShapeProto.create({
          dim: t.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        }),
      }),
    }),
  });
}

function attribute(name: string, v: number | number[] | string) {
  const A = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return onnx.AttributeProto.create({ name, type: A.STRING, s: new TextEncoder().encode(v) });
  if (Array.isArray(v)) return onnx.AttributeProto.create({ name, type: A.INTS, ints: v });
  if (Number.isInteger(v)) return onnx.AttributeProto.create({ name, type: A.INT, i: v });
  return onnx.AttributeProto.create({ name, type: A.FLOAT, f: v });
}

/** Serialises a float32 graph (opset 17, IR 8) into ONNX bytes. */
export function buildModel(spec: { inputs: TensorSpec[]; outputs: TensorSpec[]; nodes: NodeSpec[]; initializers?: InitSpec[] }): Uint8Array {
  const graph = onnx.GraphProto.create({
    name: 'test',
    input: spec.inputs.map(valueInfo),
    output: spec.outputs.map(valueInfo),
    node: spec.nodes.map((n, i) =>
      onnx.NodeProto.create({
        name: `n${i}`,
        opType: n.op,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attribute(k, v)),
      }),
    ),
    initializer: (spec.initializers ?? []).map((t) =>
      onnx.TensorProto.create({ name: t.name, dims: t.dims, dataType: onnx.TensorProto.DataType.FLOAT, floatData: t.values }),
    ),
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'adforge-test',
    opsetImport: [{ domain: '', version: 17 }],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

/**
 * A 1x1 convolution from 3 channels to 1 (weights w, bias b), optionally followed by Sigmoid: the
 * output pixel is a known function of the normalised input pixel.
 */
export function conv1x1Model(opts: {
  input: string;
  output: string;
  size: Dim;
  weights: [number, number, number];
  bias: number;
  sigmoid: boolean;
}): Uint8Array {
  const conv = opts.sigmoid ? 'logits' : opts.output;
  const nodes: NodeSpec[] = [{ op: 'Conv', inputs: [opts.input, 'W', 'B'], outputs: [conv], attrs: { kernel_shape: [1, 1] } }];
  if (opts.sigmoid) nodes.push({ op: 'Sigmoid', inputs: ['logits'], outputs: [opts.output] });
  return buildModel({
    inputs: [{ name: opts.input, shape: [1, 3, opts.size, opts.size] }],
    outputs: [{ name: opts.output, shape: [1, 1, opts.size, opts.size] }],
    nodes,
    initializers: [
      { name: 'W', dims: [1, 3, 1, 1], values: [...opts.weights] },
      { name: 'B', dims: [1], values: [opts.bias] },
    ],
  });
}
