//! Class results: what an instructor sees over the students' logs and quiz
//! results.
