import { renderManifests, objectId } from './k8s-manifests';
it('dump', () => {
  const r = renderManifests();
  console.log(r.objects.map((o) => `${o.file} ${objectId(o.object)}`).join('\n'));
});
