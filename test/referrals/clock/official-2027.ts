/**
 * A 2027 holiday schedule in the form the State Council publishes it (holidays, and the weekend days worked in
 * exchange), as a county would enter it in its file's "calendar". Illustrative only: the real 2027 schedule is not
 * out yet. Its Spring Festival is 除夕 (Fri 02-05) to 02-12, worked on Sun 01-31 and Sat 02-20.
 */
export const OFFICIAL_2027 = {
  holidays: [
    '2027-01-01', '2027-01-02', '2027-01-03',
    '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12',
    '2027-04-03', '2027-04-04', '2027-04-05',
    '2027-05-01', '2027-05-02', '2027-05-03', '2027-05-04', '2027-05-05',
    '2027-06-09',
    '2027-09-15',
    '2027-10-01', '2027-10-02', '2027-10-03', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07',
  ],
  workdays: ['2027-01-31', '2027-02-20', '2027-04-25', '2027-05-08', '2027-09-26', '2027-10-09'],
};
