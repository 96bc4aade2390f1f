// A green run is quiet: the servers a test starts in its own process log nothing unless LOG_LEVEL
// is set for the run (LOG_LEVEL=warn npx jest … shows them). Failures are the assertions' to
// report; tests about the logs start processes of their own with the level they need.
if (!process.env.LOG_LEVEL) process.env.LOG_LEVEL = 'silent';
