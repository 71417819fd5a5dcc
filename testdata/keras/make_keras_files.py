# Writes the nsfwjs MobileNet v2 TF.js layers model (topology and dequantized weights) as a Keras 2 HDF5 file
# (model_config attribute + model_weights groups) and a Keras 3 .keras zip (config.json + model.weights.h5),
# each in the layout Keras documents for it.
import json, sys, zipfile, io, numpy as np, h5py
src, out = sys.argv[1], sys.argv[2]
j = json.load(open(src + '/model.json'))
topo = j['modelTopology']
data = open(src + '/group1-shard1of1', 'rb').read()
weights = {}; off = 0
for w in j['weightsManifest'][0]['weights']:
    n = int(np.prod(w['shape'])); q = w.get('quantization')
    if q:
        raw = np.frombuffer(data, np.uint8, n, off); off += n
        v = (raw.astype(np.float64) * q['scale'] + q['min']).astype(np.float32)
    else:
        v = np.frombuffer(data, np.float32, n, off); off += 4 * n
    weights[w['name']] = v.reshape(w['shape'])
layers = topo['model_config']['config']['layers']
def layer_weights(name):
    return [(k, v) for k, v in weights.items() if k.startswith(name + '/')]
# Keras 2 .h5
with h5py.File(out + '/mobilenet_v2.h5', 'w') as f:
    f.attrs['keras_version'] = topo['keras_version']; f.attrs['backend'] = topo['backend']
    f.attrs['model_config'] = json.dumps(topo['model_config'])
    g = f.create_group('model_weights')
    g.attrs['layer_names'] = [l['name'].encode() for l in layers]
    g.attrs['backend'] = topo['backend']; g.attrs['keras_version'] = topo['keras_version']
    for l in layers:
        lg = g.create_group(l['name'])
        ws = layer_weights(l['name'])
        lg.attrs['weight_names'] = [(k + ':0').encode() for k, _ in ws]
        for k, v in ws:
            lg.create_dataset(k + ':0', data=v)
# Keras 3 .keras
order = {'Conv2D': ['kernel', 'bias'], 'DepthwiseConv2D': ['depthwise_kernel', 'bias'], 'Dense': ['kernel', 'bias'],
         'BatchNormalization': ['gamma', 'beta', 'moving_mean', 'moving_variance']}
k3layers = []
for l in layers:
    cfg = dict(l['config'])
    if l['class_name'] == 'InputLayer':
        cfg['batch_shape'] = cfg.pop('batch_input_shape')
    else:
        cfg['dtype'] = {'module': 'keras', 'class_name': 'DTypePolicy', 'config': {'name': 'float32'}, 'registered_name': None}
    nodes = []
    for node in l['inbound_nodes']:
        tensors = [{'class_name': '__keras_tensor__', 'config': {'shape': None, 'dtype': 'float32', 'keras_history': [i[0], i[1], i[2]]}} for i in node]
        nodes.append({'args': [tensors] if len(tensors) > 1 else tensors, 'kwargs': {}})
    k3layers.append({'module': 'keras.layers', 'class_name': l['class_name'], 'config': cfg, 'registered_name': None,
                     'name': l['name'], 'inbound_nodes': nodes})
mc = topo['model_config']['config']
config = {'module': 'keras.src.models.functional', 'class_name': 'Functional', 'registered_name': 'Functional',
          'config': {'name': mc['name'], 'trainable': True, 'layers': k3layers, 'input_layers': mc['input_layers'], 'output_layers': mc['output_layers']}}
h5 = io.BytesIO()
with h5py.File(h5, 'w') as f:
    f.create_group('vars')
    lg = f.create_group('layers')
    for l in layers:
        g = lg.create_group(l['name']); vg = g.create_group('vars')
        ws = dict((k.split('/', 1)[1], v) for k, v in layer_weights(l['name']))
        names = [n for n in order.get(l['class_name'], []) if n in ws]
        assert len(names) == len(ws), (l['name'], ws.keys())
        for i, n in enumerate(names):
            vg.create_dataset(str(i), data=ws[n])
with zipfile.ZipFile(out + '/mobilenet_v2.keras', 'w', zipfile.ZIP_DEFLATED) as z:
    def put(name, content):
        info = zipfile.ZipInfo(name, date_time=(2026, 11, 30, 0, 0, 0)); info.compress_type = zipfile.ZIP_DEFLATED; z.writestr(info, content)
    put('metadata.json', json.dumps({'keras_version': '3.6.0', 'date_saved': '2026-11-30@00:00:00'}))
    put('config.json', json.dumps(config))
    put('model.weights.h5', h5.getvalue())
print('ok', len(weights))
