// The page: a gallery at #/, an appliance at #/a/<id>.
import catalog from '../images/appliances.json';
import type { ApplianceSpec } from '../worker/protocol.ts';
import { openAppliance, type ApplianceView } from './appliance-view.ts';
import { clearError, showError } from './dom.ts';
import { Fleet } from './fleet.ts';
import { renderGallery } from './gallery.ts';
import { publishToServiceWorker, registerServiceWorker } from './service-worker.ts';

const appliances: ApplianceSpec[] = catalog;
const root = document.getElementById('app')!;
const fleet = new Fleet(publishToServiceWorker);
let view: ApplianceView | undefined;
let stopGalleryUpdates = (): void => {};

registerServiceWorker({ onPortsWanted: () => fleet.reconnectGateway() });

/** Shows what the address bar names: reload reopens the same appliance. */
function route(): void {
  view?.dispose();
  view = undefined;
  stopGalleryUpdates();
  clearError();
  const match = /^#\/a\/([^/?]+)/.exec(location.hash);
  const id = match ? decodeURIComponent(match[1]!) : undefined;
  const appliance = appliances.find((a) => a.id === id);
  if (appliance) {
    document.title = `${appliance.title} · Tabcloud`;
    view = openAppliance(root, fleet, appliance);
    return;
  }
  document.title = 'Tabcloud';
  const render = (): void => renderGallery(root, appliances, fleet);
  render();
  stopGalleryUpdates = fleet.onChange(render);
  if (id !== undefined) {
    showError(`There is no appliance '${id}'. Pick one of: ${appliances.map((a) => a.id).join(', ')}.`);
  }
}

window.addEventListener('hashchange', route);
route();
