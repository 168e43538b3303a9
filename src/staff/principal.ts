/** A signed-in staff member as every staff function sees them: who they are, their role and the unit they belong to. */
export type StaffPrincipal = {
  id: string;
  name: string;
  role: 'supervisor' | 'duty_officer' | 'township_staff' | 'agency_staff';
  townshipId: string | null;
  agencyId: string | null;
};
