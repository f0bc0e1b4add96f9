/* true - do nothing, successfully (POSIX). */
int main(void)
{
	return 0;
}
