import { z } from 'zod';

/**
 * A foreign key at `depth=0`: Nautobot 3 sends `{id, object_type, url}` for every related
 * object. The sync joins tables on `id`; `object_type` says which table.
 */
export const refSchema = z.looseObject({
  id: z.uuid(),
  object_type: z.string(),
  url: z.string(),
});
export type Ref = z.infer<typeof refSchema>;

export const nullableRef = refSchema.nullable();

/** A choice field such as an interface's `type`: `{value: "1000base-t", label: "1000BASE-T"}`. */
export const choiceSchema = z.looseObject({ value: z.string(), label: z.string() });
export type Choice = z.infer<typeof choiceSchema>;

/** Nautobot writes `2026-12-04T16:38:28.712367Z`; an offset is accepted too. */
export const timestamp = z.iso.datetime({ offset: true });

/** Custom field values keyed by the field's `key`, kept as Nautobot sends them. */
export const customFieldValues = z.record(z.string(), z.unknown());

/** What every object of the REST API carries. */
export const objectBase = {
  id: z.uuid(),
  object_type: z.string(),
  display: z.string(),
  url: z.string(),
};

/** Objects with change logging carry both times; `last_updated` drives incremental sync. */
export const timestamps = {
  created: timestamp.nullable(),
  last_updated: timestamp.nullable(),
};

/** Models with tags and custom fields (Nautobot 3 keeps `tags` even with `exclude_m2m`). */
export const tagsAndCustomFields = {
  tags: z.array(refSchema),
  custom_fields: customFieldValues,
};
