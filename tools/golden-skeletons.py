# Writes golden skeletons as the AWS CLI v1 prints them, from botocore's own ArgumentGenerator,
# with enum choice fixed to the first value (botocore picks one at random).
import json, random, sys, botocore.session
from botocore import xform_name
from botocore.utils import ArgumentGenerator
from awscli.utils import json_encoder
random.choice = lambda seq: seq[0]
model = botocore.session.get_session().get_service_model('sagemaker')
for op in sys.argv[1:]:
    om = model.operation_model(op)
    name = xform_name(op, '-')
    inp = ArgumentGenerator().generate_skeleton(om.input_shape) if om.input_shape else {}
    open(name + '.input.json', 'w').write(json.dumps(inp, indent=4, default=json_encoder) + '\n')
    out = ArgumentGenerator(use_member_names=True).generate_skeleton(om.output_shape) if om.output_shape else {}
    open(name + '.output.json', 'w').write((json.dumps(out, indent=4, default=json_encoder, ensure_ascii=False) + '\n') if out != {} else '')
