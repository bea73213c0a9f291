import {
  loadProviderSchema,
  parseReferences,
  validateTerraformJson,
  type ProviderSchemaFile,
} from './terraform-schema';

const schema = loadProviderSchema();
if (!schema) {
  // Visible in the jest output so a skipped suite is not mistaken for a passing one.
  console.warn(
    'terraform-schema.test.ts: ../shared/schemas/openstack-provider-3.4.0.json not found; schema-based tests are SKIPPED',
  );
}
const maybe = schema ? it : it.skip;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests poke into nested JSON

/** cdktf-shaped document: port + instance + secgroup rule referencing each other, a data source, an output. */
function baseDoc(): Json {
  const meta = (p: string) => ({ metadata: { path: `stack/${p}`, uniqueId: p } });
  return {
    '//': { metadata: { backend: 'local', stackName: 'stack', version: '0.21.0' }, outputs: {} },
    terraform: {
      required_providers: { openstack: { source: 'terraform-provider-openstack/openstack', version: '3.4.0' } },
      backend: { local: { path: 'terraform.tfstate' } },
    },
    provider: { openstack: [{ auth_url: '${var.auth_url}', region: 'kr-central-2' }] },
    variable: { auth_url: { type: 'string' }, workers: { type: 'list(string)', default: ['w1'] } },
    locals: { cluster: 'kpaas' },
    data: {
      openstack_networking_subnet_v2: { subnet: { '//': meta('subnet'), name: 'main-subnet' } },
    },
    resource: {
      openstack_networking_secgroup_v2: { sg: { '//': meta('sg'), name: '${local.cluster}-sg' } },
      openstack_networking_secgroup_rule_v2: {
        ssh: {
          '//': meta('ssh'),
          direction: 'ingress',
          ethertype: 'IPv4',
          protocol: 'tcp',
          port_range_min: 22,
          port_range_max: 22,
          remote_ip_prefix: '0.0.0.0/0',
          security_group_id: '${openstack_networking_secgroup_v2.sg.id}',
        },
      },
      openstack_networking_port_v2: {
        'master-1_port': {
          '//': meta('master-1_port'),
          name: 'master-1',
          network_id: '${data.openstack_networking_subnet_v2.subnet.network_id}',
          fixed_ip: [{ subnet_id: '${data.openstack_networking_subnet_v2.subnet.id}', ip_address: '10.0.0.10' }],
          security_group_ids: ['${openstack_networking_secgroup_v2.sg.id}'],
          binding: { vnic_type: 'normal' },
        },
      },
      openstack_compute_instance_v2: {
        'master-1': {
          '//': meta('master-1'),
          name: 'master-1',
          flavor_name: 'm2a.large',
          image_name: 'ubuntu-22.04',
          network: [{ port: '${openstack_networking_port_v2.master-1_port.id}' }],
          block_device: [{ source_type: 'image', destination_type: 'volume', volume_size: 50, boot_index: 0, uuid: 'img' }],
          metadata: { role: 'master' },
          user_data: '${base64encode(jsonencode({"port" = openstack_networking_port_v2.master-1_port.all_fixed_ips[0], "workers" = [for w in var.workers : upper(w)]}))}',
          depends_on: ['openstack_networking_secgroup_rule_v2.ssh'],
          lifecycle: { ignore_changes: ['user_data', 'block_device'] },
        },
      },
    },
    output: {
      master_ip: {
        value: '${openstack_compute_instance_v2.master-1.access_ip_v4}',
        depends_on: ['${openstack_networking_port_v2.master-1_port}'],
      },
    },
  };
}

function validate(doc: Json): string[] {
  return validateTerraformJson(doc, schema as ProviderSchemaFile);
}

const PORT = 'openstack_networking_port_v2.master-1_port';
const VM = 'openstack_compute_instance_v2.master-1';
const RULE = 'openstack_networking_secgroup_rule_v2.ssh';

describe('loadProviderSchema', () => {
  it('returns undefined when the schema file is absent', () => {
    expect(loadProviderSchema('/nonexistent/provider-schema.json')).toBeUndefined();
  });

  maybe('loads the OpenStack provider schema with its resource types', () => {
    const ps = (schema as ProviderSchemaFile).provider_schemas['registry.terraform.io/terraform-provider-openstack/openstack'];
    expect(Object.keys(ps.resource_schemas ?? {})).toContain('openstack_networking_port_v2');
  });
});

describe('parseReferences', () => {
  it('skips function names, object keys and for-expression variables', () => {
    const refs = parseReferences('jsonencode({"a" = x.y.z, b = [for k, v in var.m : "${k}-${v}"]})');
    expect(refs.map((r) => r.root)).toEqual(['x', 'var']);
  });

  it('follows index and splat steps to the attribute after them', () => {
    expect(parseReferences('t.n[count.index].attr')[0].steps).toEqual([
      { kind: 'attr', name: 'n' },
      { kind: 'index' },
      { kind: 'attr', name: 'attr' },
    ]);
    expect(parseReferences('t.n[*].attr')[0].steps).toEqual([
      { kind: 'attr', name: 'n' },
      { kind: 'splat' },
      { kind: 'attr', name: 'attr' },
    ]);
  });
});

describe('validateTerraformJson', () => {
  maybe('accepts a valid minimal document (port + instance + secgroup rule referencing each other)', () => {
    expect(validate(baseDoc())).toEqual([]);
  });

  maybe('fails on a document that is not an object', () => {
    expect(validateTerraformJson([], schema as ProviderSchemaFile)).toEqual(['document: expected a JSON object, got array']);
  });

  describe('resource and data source types', () => {
    maybe('fails on an unknown resource type', () => {
      const doc = baseDoc();
      doc.resource.openstack_compute_instance_v9 = { x: { name: 'x' } };
      expect(validate(doc)).toEqual([
        'openstack_compute_instance_v9.x: unknown resource type "openstack_compute_instance_v9" (did you mean "openstack_compute_instance_v2"?)',
      ]);
    });

    maybe('fails on an unknown data source type', () => {
      const doc = baseDoc();
      doc.data.openstack_networking_subnets_v9 = { s: {} };
      expect(validate(doc)).toEqual([
        expect.stringMatching(/^data\.openstack_networking_subnets_v9\.s: unknown data source type "openstack_networking_subnets_v9"/),
      ]);
    });
  });

  describe('attributes', () => {
    maybe('fails on an unknown attribute and suggests the closest name', () => {
      const doc = baseDoc();
      doc.resource.openstack_networking_port_v2['master-1_port'].fixed_ips = [];
      expect(validate(doc)).toEqual([`${PORT}: unknown attribute "fixed_ips" (did you mean "fixed_ip"?)`]);
    });

    maybe('fails on an unknown attribute inside a nested block', () => {
      const doc = baseDoc();
      doc.resource.openstack_compute_instance_v2['master-1'].network[0].port_id = 'x';
      expect(validate(doc)).toEqual([expect.stringMatching(/^openstack_compute_instance_v2\.master-1: network\[0\]: unknown attribute "port_id"/)]);
    });

    maybe('fails on a missing required attribute', () => {
      const doc = baseDoc();
      delete doc.resource.openstack_networking_secgroup_rule_v2.ssh.direction;
      expect(validate(doc)).toEqual([`${RULE}: missing required attribute "direction"`]);
    });

    maybe('fails on a required attribute set to null', () => {
      const doc = baseDoc();
      doc.resource.openstack_networking_port_v2['master-1_port'].network_id = null;
      expect(validate(doc)).toEqual([`${PORT}: missing required attribute "network_id"`]);
    });

    maybe('fails on a missing required attribute inside a nested block', () => {
      const doc = baseDoc();
      delete doc.resource.openstack_compute_instance_v2['master-1'].block_device[0].source_type;
      expect(validate(doc)).toEqual([`${VM}: block_device[0]: missing required attribute "source_type"`]);
    });

    maybe('fails when a computed-only attribute is set', () => {
      const doc = baseDoc();
      doc.resource.openstack_networking_port_v2['master-1_port'].all_fixed_ips = ['10.0.0.10'];
      expect(validate(doc)).toEqual([`${PORT}: attribute "all_fixed_ips" is computed-only and cannot be set`]);
    });

    maybe('fails when a computed-only attribute of a nested block is set', () => {
      const doc = baseDoc();
      doc.resource.openstack_compute_instance_v2['master-1'].network[0].mac = 'fa:16:3e:00:00:01';
      expect(validate(doc)).toEqual([`${VM}: network[0]: attribute "mac" is computed-only and cannot be set`]);
    });

    maybe('fails on a wrong primitive type', () => {
      const doc = baseDoc();
      doc.resource.openstack_networking_secgroup_rule_v2.ssh.port_range_min = 'twenty-two';
      doc.resource.openstack_networking_port_v2['master-1_port'].admin_state_up = 'yes';
      expect(validate(doc)).toEqual([
        `${RULE}: port_range_min: expected number, got string "twenty-two"`,
        `${PORT}: admin_state_up: expected bool, got string "yes"`,
      ]);
    });

    maybe('fails on a scalar where a collection is expected, and on a bad element', () => {
      const doc = baseDoc();
      doc.resource.openstack_networking_port_v2['master-1_port'].security_group_ids = 'sg-1';
      doc.resource.openstack_compute_instance_v2['master-1'].metadata = { role: ['master'] };
      expect(validate(doc)).toEqual([
        `${PORT}: security_group_ids: expected set(...), got string "sg-1"`,
        `${VM}: metadata["role"]: expected string, got array`,
      ]);
    });

    maybe('accepts values Terraform converts implicitly and expressions of unknown type', () => {
      const doc = baseDoc();
      doc.resource.openstack_networking_secgroup_rule_v2.ssh.port_range_min = '22';
      doc.resource.openstack_networking_port_v2['master-1_port'].admin_state_up = 'true';
      doc.resource.openstack_networking_port_v2['master-1_port'].security_group_ids = '${toset([openstack_networking_secgroup_v2.sg.id])}';
      doc.resource.openstack_compute_instance_v2['master-1'].name = 7;
      expect(validate(doc)).toEqual([]);
    });
  });

  describe('blocks', () => {
    maybe('fails when a max_items=1 set block has two entries', () => {
      // openstack_compute_instance_v2.vendor_options: nesting_mode set, max_items 1
      const doc = baseDoc();
      doc.resource.openstack_compute_instance_v2['master-1'].vendor_options = [
        { ignore_resize_confirmation: true },
        { detach_ports_before_destroy: true },
      ];
      expect(validate(doc)).toEqual([`${VM}: vendor_options: at most 1 block allowed (nesting_mode set), got 2`]);
    });

    maybe('fails when a single-nested block is given twice', () => {
      const doc = baseDoc();
      doc.resource.openstack_networking_port_v2['master-1_port'].timeouts = [{ create: '5m' }, { create: '10m' }];
      expect(validate(doc)).toEqual([`${PORT}: timeouts: at most 1 block allowed (nesting_mode single), got 2`]);
    });

    maybe('accepts a max_items=1 list block as an object or a one-element array', () => {
      const asObject = baseDoc();
      const asArray = baseDoc();
      asArray.resource.openstack_networking_port_v2['master-1_port'].binding = [{ vnic_type: 'direct' }];
      expect(validate(asObject)).toEqual([]);
      expect(validate(asArray)).toEqual([]);
    });

    maybe('fails when a block is given as a scalar or expression', () => {
      const doc = baseDoc();
      doc.resource.openstack_compute_instance_v2['master-1'].network = '${var.workers}';
      doc.resource.openstack_networking_port_v2['master-1_port'].binding = 'normal';
      expect(validate(doc)).toEqual([
        `${PORT}: binding: block must be an object or an array of objects, got string "normal"`,
        `${VM}: network: block must be an object or an array of objects, got string "\${var.workers}" (blocks cannot be set from an expression; use a dynamic block)`,
      ]);
    });

    maybe('fails when a required nested block (min_items 1) is missing', () => {
      const doc = baseDoc();
      doc.resource.openstack_db_instance_v1 = { db: { name: 'db', size: 10 } };
      expect(validate(doc)).toEqual([
        'openstack_db_instance_v1.db: missing required block "datastore" (at least 1 required)',
      ]);
    });

    maybe('validates the content of dynamic blocks and binds their iterator', () => {
      const doc = baseDoc();
      doc.resource.openstack_networking_port_v2['master-1_port'].dynamic = {
        allowed_address_pairs: { for_each: '${var.workers}', iterator: 'pair', content: { ip_address: '${pair.value}' } },
      };
      expect(validate(doc)).toEqual([]);
      doc.resource.openstack_networking_port_v2['master-1_port'].dynamic.allowed_address_pairs.content = { mac: 'x' };
      expect(validate(doc)).toEqual([
        expect.stringMatching(/dynamic\.allowed_address_pairs\.content: unknown attribute "mac"/),
        `${PORT}: dynamic.allowed_address_pairs.content: missing required attribute "ip_address"`,
      ]);
    });
  });

  describe('references', () => {
    maybe('fails on a reference to an undeclared resource', () => {
      const doc = baseDoc();
      doc.resource.openstack_compute_instance_v2['master-1'].network[0].port = '${openstack_networking_port_v2.master-2_port.id}';
      expect(validate(doc)).toEqual([
        `${VM}: network[0].port: reference to undeclared resource "openstack_networking_port_v2.master-2_port" (did you mean "master-1_port"?)`,
      ]);
    });

    maybe('fails on a reference to an unknown attribute of an existing resource', () => {
      const doc = baseDoc();
      doc.output.master_ip.value = '${openstack_networking_port_v2.master-1_port.fixed_ips[0]}';
      expect(validate(doc)).toEqual([
        `output.master_ip: value: reference to unknown attribute "fixed_ips" of ${PORT} (did you mean "fixed_ip"?)`,
      ]);
    });

    maybe('resolves data source references and checks their attributes', () => {
      const doc = baseDoc();
      doc.resource.openstack_networking_port_v2['master-1_port'].network_id = '${data.openstack_networking_subnet_v2.subnet.network_id}';
      expect(validate(doc)).toEqual([]);
      doc.resource.openstack_networking_port_v2['master-1_port'].network_id = '${data.openstack_networking_subnet_v2.subnet.net_id}';
      doc.resource.openstack_networking_port_v2['master-1_port'].fixed_ip[0].subnet_id = '${data.openstack_networking_subnet_v2.other.id}';
      expect(validate(doc)).toEqual([
        `${PORT}: network_id: reference to unknown attribute "net_id" of data.openstack_networking_subnet_v2.subnet`,
        `${PORT}: fixed_ip[0].subnet_id: reference to undeclared data source "data.openstack_networking_subnet_v2.other"`,
      ]);
    });

    maybe('fails on undeclared variables, locals and modules, including inside functions and for-expressions', () => {
      const doc = baseDoc();
      doc.resource.openstack_compute_instance_v2['master-1'].user_data = '${jsonencode([for w in var.nodes : "${local.prefix}-${w}"])}';
      doc.resource.openstack_compute_instance_v2['master-1'].key_pair = '${module.keys.name}';
      expect(validate(doc)).toEqual([
        `${VM}: user_data: reference to undeclared variable "var.nodes"`,
        `${VM}: user_data: reference to undeclared local value "local.prefix"`,
        `${VM}: key_pair: reference to undeclared module "module.keys"`,
      ]);
    });

    maybe('ignores each, count, self, path and terraform', () => {
      const doc = baseDoc();
      const vm = doc.resource.openstack_compute_instance_v2['master-1'];
      vm.for_each = '${toset(var.workers)}';
      vm.name = '${each.value}-${count.index}-${terraform.workspace}';
      vm.user_data = '${file("${path.module}/cloud-init.yaml")}';
      expect(validate(doc)).toEqual([]);
    });

    maybe('fails on a depends_on entry that does not resolve', () => {
      const doc = baseDoc();
      doc.resource.openstack_compute_instance_v2['master-1'].depends_on = ['openstack_networking_secgroup_rule_v2.http'];
      expect(validate(doc)).toEqual([
        `${VM}: depends_on: "openstack_networking_secgroup_rule_v2.http" does not resolve: reference to undeclared resource "openstack_networking_secgroup_rule_v2.http"`,
      ]);
    });

    maybe('fails on an output depends_on entry that does not resolve or names an attribute', () => {
      const doc = baseDoc();
      doc.output.master_ip.depends_on = ['${openstack_networking_port_v2.nope}', '${openstack_networking_secgroup_v2.sg.id}'];
      expect(validate(doc)).toEqual([
        'output.master_ip: depends_on: "${openstack_networking_port_v2.nope}" does not resolve: reference to undeclared resource "openstack_networking_port_v2.nope"',
        'output.master_ip: depends_on: "${openstack_networking_secgroup_v2.sg.id}" must reference a whole resource, data source or module, not an attribute',
      ]);
    });
  });

  describe('meta-arguments', () => {
    maybe('fails on an ignore_changes entry that is not an attribute of the resource', () => {
      const doc = baseDoc();
      doc.resource.openstack_compute_instance_v2['master-1'].lifecycle.ignore_changes = ['userData'];
      expect(validate(doc)).toEqual([`${VM}: lifecycle.ignore_changes: unknown attribute "userData" (did you mean "user_data"?)`]);
    });

    maybe('fails on a provider alias that is not configured', () => {
      const doc = baseDoc();
      doc.resource.openstack_compute_instance_v2['master-1'].provider = 'openstack.west';
      expect(validate(doc)).toEqual([`${VM}: provider: provider configuration "openstack.west" is not declared`]);
      doc.provider.openstack.push({ alias: 'west', region: 'kr-central-1' });
      expect(validate(doc)).toEqual([]);
    });

    maybe('fails on a meta-argument a data source does not support', () => {
      const doc = baseDoc();
      doc.data.openstack_networking_subnet_v2.subnet.provisioner = [];
      expect(validate(doc)).toEqual([
        expect.stringMatching(/^data\.openstack_networking_subnet_v2\.subnet: unknown attribute "provisioner"/),
      ]);
    });
  });

  describe('provider and terraform blocks', () => {
    maybe('fails on an unknown provider configuration attribute', () => {
      const doc = baseDoc();
      doc.provider.openstack[0].authurl = 'https://example';
      expect(validate(doc)).toEqual(['provider.openstack[0]: unknown attribute "authurl" (did you mean "auth_url"?)']);
    });

    maybe('fails on an unresolved reference in the provider configuration', () => {
      const doc = baseDoc();
      doc.provider.openstack[0].auth_url = '${var.url}';
      expect(validate(doc)).toEqual([
        expect.stringMatching(/^provider\.openstack\[0\]: auth_url: reference to undeclared variable "var\.url"/),
      ]);
    });

    maybe('fails when the provider is not declared in terraform.required_providers', () => {
      const doc = baseDoc();
      delete doc.terraform.required_providers;
      expect(validate(doc)).toEqual([
        'terraform.required_providers: provider "openstack" (used by provider.openstack[0]) is not declared',
      ]);
    });

    maybe('fails when required_providers names a source the schema does not cover', () => {
      const doc = baseDoc();
      doc.terraform.required_providers.openstack.source = 'hashicorp/openstack';
      expect(validate(doc)).toEqual([
        expect.stringMatching(/^terraform\.required_providers\.openstack: source "hashicorp\/openstack" is not in the provider schema/),
        'provider.openstack[0]: unknown provider "openstack" (not in the provider schema)',
      ]);
    });

    maybe('fails on an output without a value', () => {
      const doc = baseDoc();
      doc.output.empty = { description: 'nothing' };
      expect(validate(doc)).toEqual(['output.empty: missing required argument "value"']);
    });
  });
});

/**
 * Framework (protocol 6) nested attributes, on a small hand-made schema so the checks run without
 * the schema files: single, list, set and map nesting, two levels deep, each kind of defect.
 */
describe('validateTerraformJson on nested attributes (nested_type)', () => {
  const str = { type: 'string' as const };
  const nestedSchema: ProviderSchemaFile = {
    format_version: '1.0',
    provider_schemas: {
      'registry.terraform.io/example/fw': {
        provider: { version: 0, block: { attributes: { region: { ...str, optional: true } } } },
        resource_schemas: {
          fw_thing: {
            version: 0,
            block: {
              attributes: {
                id: { ...str, computed: true },
                name: { ...str, required: true },
                secret: { ...str, optional: true, write_only: true },
                single: {
                  optional: true,
                  nested_type: {
                    nesting_mode: 'single',
                    attributes: {
                      device_id: { ...str, required: true },
                      status: { ...str, computed: true },
                      inner: {
                        optional: true,
                        nested_type: { nesting_mode: 'list', attributes: { port: { type: 'number', required: true }, state: { ...str, computed: true } } },
                      },
                    },
                  },
                },
                items: {
                  required: true,
                  nested_type: { nesting_mode: 'list', min_items: 1, attributes: { id: { ...str, required: true }, size: { type: 'number', optional: true } } },
                },
                groups: { optional: true, nested_type: { nesting_mode: 'set', attributes: { id: { ...str, required: true }, name: { ...str, computed: true } } } },
                labels: { optional: true, nested_type: { nesting_mode: 'map', attributes: { value: { ...str, required: true } } } },
              },
            },
          },
        },
        data_source_schemas: {},
      },
    },
  };
  const doc = (thing: Record<string, unknown>): Json => ({
    terraform: { required_providers: { fw: { source: 'example/fw', version: '1.0.0' } } },
    resource: {
      fw_thing: {
        a: {
          name: 'a',
          secret: 'written, never stored',
          single: { device_id: 'd', inner: [{ port: 1 }] },
          items: [{ id: 'x', size: 2 }],
          groups: [{ id: 'g' }],
          labels: { k: { value: 'v' } },
          ...thing,
        },
        b: { name: 'b', items: [{ id: '${fw_thing.a.single.inner[0].port}' }], groups: '${fw_thing.a.groups}' },
      },
    },
    output: { o: { value: '${fw_thing.a.items[0].id}' } },
  });
  const check = (d: Json) => validateTerraformJson(d, nestedSchema);
  const A = 'fw_thing.a';

  it('accepts valid nested values of every nesting mode, write-only attributes and references into them', () => {
    expect(check(doc({}))).toEqual([]);
  });

  it('fails on an unknown nested attribute at depth 1 and 2', () => {
    expect(check(doc({ single: { device_id: 'd', devcie_type: 'x', inner: [{ port: 1, prot: 2 }] } }))).toEqual([
      `${A}: single: unknown attribute "devcie_type"`,
      `${A}: single.inner[0]: unknown attribute "prot" (did you mean "port"?)`,
    ]);
  });

  it('fails on a missing required nested attribute at depth 1 and 2, and an empty required list', () => {
    expect(check(doc({ single: { inner: [{}] }, items: [] }))).toEqual([
      `${A}: single.inner[0]: missing required attribute "port"`,
      `${A}: single: missing required attribute "device_id"`,
      `${A}: items: at least 1 element(s) required, got 0`,
    ]);
    const d = doc({});
    delete d.resource.fw_thing.a.items;
    expect(check(d)).toEqual([`${A}: missing required attribute "items"`]);
  });

  it('fails on a computed-only nested attribute that is set, at depth 1 and 2 and in a set', () => {
    expect(check(doc({ single: { device_id: 'd', status: 'up', inner: [{ port: 1, state: 'x' }] }, groups: [{ id: 'g', name: 'n' }] }))).toEqual([
      `${A}: single: attribute "status" is computed-only and cannot be set`,
      `${A}: single.inner[0]: attribute "state" is computed-only and cannot be set`,
      `${A}: groups[0]: attribute "name" is computed-only and cannot be set`,
    ]);
  });

  it('fails on wrong-typed nested values: shapes of every mode and leaf types at depth 1 and 2', () => {
    expect(check(doc({ single: [{ device_id: 'd' }], items: { id: 'x' }, groups: ['g'], labels: ['v'] }))).toEqual([
      `${A}: single: expected one object (nesting_mode single), got an array`,
      `${A}: items: expected a list of objects (nesting_mode list), got object`,
      `${A}: groups[0]: expected an object (nested attribute), got string "g"`,
      `${A}: labels: expected a map of objects (nesting_mode map), got array`,
    ]);
    expect(check(doc({ items: [{ id: 'x', size: 'big' }], single: { device_id: ['d'], inner: [{ port: 'one' }] } }))).toEqual([
      `${A}: single.device_id: expected string, got array`,
      `${A}: single.inner[0].port: expected number, got string "one"`,
      `${A}: items[0].size: expected number, got string "big"`,
    ]);
  });

  it('fails on references to unknown nested attributes and undeclared resources', () => {
    const d = doc({});
    d.resource.fw_thing.b.items = [{ id: '${fw_thing.a.single.inner[0].prt}' }, { id: '${fw_thing.nope.id}' }, { id: '${fw_other.a.id}' }];
    d.output.o.value = '${fw_thing.a.items[0].sise}';
    expect(check(d)).toEqual([
      'fw_thing.b: items[0].id: reference to unknown attribute "prt" of fw_thing.a.single.inner (did you mean "port"?)',
      'fw_thing.b: items[1].id: reference to undeclared resource "fw_thing.nope"',
      'fw_thing.b: items[2].id: reference to undeclared resource "fw_other.a"',
      'output.o: value: reference to unknown attribute "sise" of fw_thing.a.items (did you mean "size"?)',
    ]);
  });
});
