namespace PopInfo.Analytics.Engine;

/// <summary>Which of the register's two times an "as of" date reads (the register is bitemporal).</summary>
public enum TimeBasis
{
    /// <summary>The city as it was on the date: every change that happened by the end of that day, however late it was recorded (the default).</summary>
    Occurred,

    /// <summary>The city as the register knew it at the end of that day: every change recorded by then, and nothing recorded later.</summary>
    Recorded,
}
