// The ceiling the add-on is measured against: Kestrel answering "Hello, World!" with nothing in between.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
app.Run(context => context.Response.WriteAsync("Hello, World!"));
await app.RunAsync();
