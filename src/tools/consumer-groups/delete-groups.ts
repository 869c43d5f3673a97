export interface DeleteGroupsReport {
  stdout: string;
  stderr: string;
  ok: boolean;
}

/**
 * ConsumerGroupService.deleteGroups' report from each group's failure reason (undefined when
 * deleted). Kafka's list of deleted groups in the mixed case is mis-joined; it is quoted properly here.
 */
export function deleteGroupsReport(results: ReadonlyMap<string, string | undefined>): DeleteGroupsReport {
  const deleted = [...results].filter(([, reason]) => reason === undefined).map(([group]) => group);
  const failed = [...results].filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (failed.length === 0) {
    return { ok: true, stderr: '', stdout: `Deletion of requested consumer groups ('${deleted.join(', ')}') was successful.\n` };
  }
  const stderr = `Error: Deletion of some consumer groups failed:\n${failed.map(([g, why]) => `* Group '${g}' could not be deleted due to: ${why}\n`).join('')}`;
  const stdout =
    deleted.length > 0 ? `\nThese consumer groups were deleted successfully: ${deleted.map((g) => `'${g}'`).join(', ')}\n` : '';
  return { ok: false, stdout, stderr };
}
