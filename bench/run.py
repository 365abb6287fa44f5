"""`make bench`: every benchmark, each recording its section of bench/RESULTS.md."""

from bench import feedback_health, feedback_reports, hr_import, matching, pipeline, read_path, scheduling, scim


def main() -> None:
    pipeline.main()
    hr_import.main()
    scim.main()
    read_path.main()
    matching.main([])
    scheduling.main([])
    feedback_reports.main([])
    feedback_health.main([])


if __name__ == "__main__":
    main()
