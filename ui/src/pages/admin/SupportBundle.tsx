/** The admin saves the support bundle to send to support: the file `doorlink export-support-bundle` writes. */
import { useApi } from '../../api/context';
import { useAction } from '../../api/hooks';
import { Button } from '../../components/Button';

function save(bundle: unknown) {
  const file = new Blob([`${JSON.stringify(bundle, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = `doorlink-support-${new Date().toISOString().slice(0, 10)}.json`;
  link.click();
  URL.revokeObjectURL(url);
}

export function SupportBundleButton() {
  const api = useApi();
  const download = useAction(() => api.audit.supportBundle(), {
    done: 'Support bundle saved: it holds no password, key or session',
    onDone: save,
  });
  return (
    <Button onClick={() => download.mutate(undefined)} busy={download.isPending}>
      Download support bundle
    </Button>
  );
}
