/**
 * @module Which device attributes the detail page shows, grouped the way biomed and security staff
 * read a device record, with the label for each.
 */
import type { DeviceAttributeName } from '../../api/types.js';

export interface AttributeGroup {
  id: string;
  title: string;
  attributes: { name: DeviceAttributeName; label: string }[];
}

export const ATTRIBUTE_GROUPS: AttributeGroup[] = [
  {
    id: 'identification',
    title: 'Identification',
    attributes: [
      { name: 'category', label: 'Category' },
      { name: 'manufacturer', label: 'Manufacturer' },
      { name: 'model', label: 'Model' },
      { name: 'serialNumber', label: 'Serial number' },
      { name: 'assetTag', label: 'Asset tag' },
      { name: 'owner', label: 'Owner' },
    ],
  },
  {
    id: 'risk',
    title: 'Clinical context & software',
    attributes: [
      { name: 'criticality', label: 'Criticality' },
      { name: 'status', label: 'Lifecycle status' },
      { name: 'phiHandling', label: 'PHI handling' },
      { name: 'firmwareVersion', label: 'Firmware' },
      { name: 'softwareVersion', label: 'Software' },
      { name: 'operatingSystem', label: 'Operating system' },
      { name: 'endOfSupport', label: 'End of support' },
    ],
  },
  {
    id: 'location',
    title: 'Location',
    attributes: [
      { name: 'site', label: 'Site' },
      { name: 'building', label: 'Building' },
      { name: 'floor', label: 'Floor' },
      { name: 'unit', label: 'Unit' },
      { name: 'room', label: 'Room' },
    ],
  },
];

export const ATTRIBUTE_LABELS: Record<string, string> = {
  name: 'Name',
  network: 'Network identities',
  ...Object.fromEntries(ATTRIBUTE_GROUPS.flatMap((g) => g.attributes.map((a) => [a.name, a.label]))),
};
