// xunit 2 does not add this implicit using itself (xunit 3 does).
global using Xunit;
