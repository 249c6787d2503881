-- A JUDGE_ITEM task may be one side of a blind side-by-side comparison (the router asks when its scoring rule cannot
-- say whether an evaluated output is right): {"reference": what people settled on, or absent when they only
-- rejected}. The reviewer judges the task's output against it without being told which model made the output.
ALTER TABLE task ADD COLUMN comparison json;
